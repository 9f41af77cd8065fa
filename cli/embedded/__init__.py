"""The embedded AWS: moto's server on loopback, provisioned as the app needs it, the simulated Amazon Connect moto
lacks, and the local HTTP API with the console."""

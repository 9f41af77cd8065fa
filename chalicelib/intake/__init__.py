"""Amazon Connect in: the three entry points and the pipeline that records a contact and hands it on."""

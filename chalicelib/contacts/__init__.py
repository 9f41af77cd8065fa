"""Amazon Connect inputs → contact records (directive 4(a–c), 6(2–3))."""

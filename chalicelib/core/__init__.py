"""The shared vocabulary every layer uses: settings, errors, time, phone numbers, text, the working calendar."""

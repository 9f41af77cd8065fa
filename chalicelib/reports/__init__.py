"""The monthly report to the General Secretary (directive 7(c))."""

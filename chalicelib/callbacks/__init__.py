"""Callbacks: nobody cut off by the system, or lost in the queue, is left without a return call
(directive 6(6), 8(ç), 4(a))."""

"""Launching xAPI (TinCan) packages and cmi5 AUs, the cmi5 fetch URL, and cmi5 waivers."""

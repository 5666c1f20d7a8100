"""CivicBridge (社区交流平台)."""

__version__ = "0.1.0"

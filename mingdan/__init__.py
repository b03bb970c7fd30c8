"""mingdan (名单): a full public accounting of people killed, detained or missing."""

__version__ = "0.1.0"

"""Publishing: the accounting, the public report, open data, disclosure control."""

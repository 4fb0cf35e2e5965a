"""Service doubles: loopback HTTP servers that keep state and log every request."""

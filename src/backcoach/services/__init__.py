"""Services: what a person can do, over the pure core and the storage. The command line and
the web app both call these; neither talks to the database directly."""

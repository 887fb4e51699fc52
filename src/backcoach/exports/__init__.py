"""What leaves the app as a file: the printed handout, the reminder calendar, and the export/import document."""

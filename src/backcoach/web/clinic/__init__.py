"""The clinic's own pages (clinic mode only): staff home, patients, staff accounts, the audit
trail, and a patient's account page. They call `services/clinic.py` and nothing else."""

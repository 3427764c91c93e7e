"""Operating the installation: backups of the database and the media, and restoring them."""

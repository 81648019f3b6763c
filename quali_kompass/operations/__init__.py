"""Operating the app: the deploy check, backup and restore of database and uploads, the upload-folder check."""

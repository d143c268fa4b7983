"""The public web directory and open data of the published networks (`VERKOSTO_WEB_DIRECTORY`)."""

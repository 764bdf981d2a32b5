"""Uploaded files judged by their content: supporting documents, PDF or picture (documents), and
pictures re-encoded without their metadata (images)."""

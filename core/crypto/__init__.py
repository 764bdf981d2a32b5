"""Personal numbers at rest: Fernet encryption and keyed lookup hashes (cipher), the encrypted
model field (fields) and the re-encryption of whole tables (sealing)."""

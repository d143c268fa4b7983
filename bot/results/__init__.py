"""What the use cases return: small immutable records that hold data, never text or markup,
one module per feature."""

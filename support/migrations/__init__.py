"""The shop's schema migrations, driven against scratch databases and checked."""

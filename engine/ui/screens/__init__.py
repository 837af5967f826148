"""The game's screens, one module each; every one is a `Screen` on the app's stack."""

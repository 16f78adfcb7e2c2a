"""The game's screens, one module each: title, choose, setup, play, results."""

"""Real servers on loopback that integration tests point checks at."""

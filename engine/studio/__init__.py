"""The organizer's studio (``play.py studio FILE``): one browser page that re-checks a scenario
file whenever it is saved and shows its problems, its map, verify's verdict, a simulation
summary and a team play-test with every role on screen. Local only by default."""

"""Classroom use: the settings a teacher hands out, playthrough records, and the class reports
made from them (HTML, CSV, a player's own page).
"""

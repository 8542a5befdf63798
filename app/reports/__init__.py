"""Register reports (R17, R23): on screen, as Excel and as PDF."""

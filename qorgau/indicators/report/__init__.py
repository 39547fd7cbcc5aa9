"""Pictures (maps, rankings, time series) and the annual report of the indicators module, over plain data."""

"""The weather stations of stations.csv, for cells that run in this folder (path="weather")."""

import csv
import warnings


def load(path="stations.csv"):
    """(name, height in metres) of each station in ``path``, relative to the working directory."""
    with open(path, newline="", encoding="utf-8") as file:
        return [(row["station"], int(row["height_m"])) for row in csv.DictReader(file)]


def fahrenheit(celsius):
    """``celsius`` in degrees Fahrenheit; below absolute zero is an error."""
    if celsius < -273.15:
        raise ValueError(f"{celsius} °C is below absolute zero")
    if celsius > 60:
        warnings.warn(f"{celsius} °C is hotter than any weather on record", stacklevel=1)
    return celsius * 9 / 5 + 32

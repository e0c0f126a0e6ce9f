"""Figure 2 of the article: the annual anomaly and its running mean.

`python figure.py out.png` draws the figure as published (a 5-year window); the article's
live cell draws it again from the same data with a slider for the window.
"""

import sys

import matplotlib.pyplot as plt
import numpy as np


def load(path="data/anomaly.csv"):
    """The annual anomalies (°C) as a structured array with `year` and `anomaly`."""
    return np.genfromtxt(path, delimiter=",", names=True)


def plot_figure_2(data, window=5):
    """Draws the anomalies and their centred `window`-year running mean (window is odd).

    Draws on a new pyplot figure and returns nothing: matplotlib's inline backend shows the
    figure, and `ipywidgets.interact` would display a returned figure a second time.
    """
    half = window // 2
    mean = np.convolve(data["anomaly"], np.ones(window) / window, mode="valid")
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    ax.axhline(0, color="0.75", lw=0.8)
    ax.plot(data["year"], data["anomaly"], ".", color="0.55", label="annual")
    ax.plot(data["year"][half : len(data) - half], mean, color="C3", lw=2,
            label=f"{window}-year running mean")
    ax.set_xlabel("year")
    ax.set_ylabel("anomaly (°C)")
    ax.legend(loc="upper left", frameon=False)
    fig.tight_layout()


if __name__ == "__main__":
    import matplotlib

    matplotlib.use("Agg")
    plot_figure_2(load())
    plt.savefig(sys.argv[1], dpi=100)

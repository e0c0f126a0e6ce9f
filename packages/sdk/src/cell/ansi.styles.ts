import { css } from 'lit';

/**
 * ANSI colours (see ansi.ts), chosen to read at 4.5:1 or better on the cell's output,
 * stderr and error backgrounds, in light and dark colours.
 */
export const ansiStyles = css`
  .ansi-bold {
    font-weight: bold;
  }
  .ansi-faint {
    opacity: 0.7;
  }
  .ansi-italic {
    font-style: italic;
  }
  .ansi-underline {
    text-decoration: underline;
  }

  .ansi-black-fg {
    color: #24292f;
  }
  .ansi-red-fg {
    color: #a40e26;
  }
  .ansi-green-fg {
    color: #116329;
  }
  .ansi-yellow-fg {
    color: #6f4400;
  }
  .ansi-blue-fg {
    color: #0550ae;
  }
  .ansi-magenta-fg {
    color: #6f42c1;
  }
  .ansi-cyan-fg {
    color: #0e6471;
  }
  .ansi-white-fg,
  .ansi-bright-black-fg,
  .ansi-bright-white-fg {
    color: #57606a;
  }
  .ansi-bright-red-fg {
    color: #b3151f;
  }
  .ansi-bright-green-fg {
    color: #17692f;
  }
  .ansi-bright-yellow-fg {
    color: #7a4a00;
  }
  .ansi-bright-blue-fg {
    color: #0a5bc4;
  }
  .ansi-bright-magenta-fg {
    color: #7e4bd3;
  }
  .ansi-bright-cyan-fg {
    color: #0b6d77;
  }

  .ansi-red-bg,
  .ansi-bright-red-bg {
    background: #ffebe9;
  }
  .ansi-green-bg,
  .ansi-bright-green-bg {
    background: #dafbe1;
  }
  .ansi-yellow-bg,
  .ansi-bright-yellow-bg {
    background: #fff8c5;
  }
  .ansi-blue-bg,
  .ansi-bright-blue-bg {
    background: #ddf4ff;
  }
  .ansi-magenta-bg,
  .ansi-bright-magenta-bg {
    background: #fbefff;
  }
  .ansi-cyan-bg,
  .ansi-bright-cyan-bg {
    background: #d7f5f5;
  }

  @media (prefers-color-scheme: dark) {
    .ansi-black-fg,
    .ansi-bright-black-fg {
      color: #8b949e;
    }
    .ansi-red-fg {
      color: #ff7b72;
    }
    .ansi-green-fg {
      color: #3fb950;
    }
    .ansi-yellow-fg {
      color: #d29922;
    }
    .ansi-blue-fg {
      color: #58a6ff;
    }
    .ansi-magenta-fg {
      color: #bc8cff;
    }
    .ansi-cyan-fg {
      color: #39c5cf;
    }
    .ansi-white-fg {
      color: #b1bac4;
    }
    .ansi-bright-red-fg {
      color: #ffa198;
    }
    .ansi-bright-green-fg {
      color: #56d364;
    }
    .ansi-bright-yellow-fg {
      color: #e3b341;
    }
    .ansi-bright-blue-fg {
      color: #79c0ff;
    }
    .ansi-bright-magenta-fg {
      color: #d2a8ff;
    }
    .ansi-bright-cyan-fg {
      color: #56d4dd;
    }
    .ansi-bright-white-fg {
      color: #f0f6fc;
    }

    .ansi-red-bg,
    .ansi-bright-red-bg {
      background: #3d1214;
    }
    .ansi-green-bg,
    .ansi-bright-green-bg {
      background: #0f2e17;
    }
    .ansi-yellow-bg,
    .ansi-bright-yellow-bg {
      background: #2e2308;
    }
    .ansi-blue-bg,
    .ansi-bright-blue-bg {
      background: #0a1f45;
    }
    .ansi-magenta-bg,
    .ansi-bright-magenta-bg {
      background: #2a1450;
    }
    .ansi-cyan-bg,
    .ansi-bright-cyan-bg {
      background: #0a2a2d;
    }
  }
`;

import { css } from 'lit';

/**
 * ANSI styles (see graphic-rendition.ts). The 16 named colours set `--ansi-fg` and
 * `--ansi-bg`, chosen to read at 4.5:1 or better on the cell's output, stderr and
 * error backgrounds, in light and dark colours; exact colours set them too (see
 * ansi-colours.ts). `ansi-fg` and `ansi-bg` apply them, and reverse video (SGR 7)
 * swaps them, the defaults included.
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
  .ansi-hidden {
    visibility: hidden;
  }
  .ansi-underline {
    text-decoration-line: underline;
  }
  .ansi-strikethrough {
    text-decoration-line: line-through;
  }
  .ansi-overline {
    text-decoration-line: overline;
  }
  .ansi-underline.ansi-strikethrough {
    text-decoration-line: underline line-through;
  }
  .ansi-underline.ansi-overline {
    text-decoration-line: underline overline;
  }
  .ansi-strikethrough.ansi-overline {
    text-decoration-line: line-through overline;
  }
  .ansi-underline.ansi-strikethrough.ansi-overline {
    text-decoration-line: underline line-through overline;
  }

  .ansi-fg {
    color: var(--ansi-fg);
  }
  .ansi-bg {
    background-color: var(--ansi-bg);
  }
  .ansi-reverse {
    color: var(--ansi-bg, var(--binder-cell-output-background));
    background-color: var(--ansi-fg, var(--binder-cell-foreground));
  }

  .ansi-black-fg {
    --ansi-fg: #24292f;
  }
  .ansi-red-fg {
    --ansi-fg: #a40e26;
  }
  .ansi-green-fg {
    --ansi-fg: #116329;
  }
  .ansi-yellow-fg {
    --ansi-fg: #6f4400;
  }
  .ansi-blue-fg {
    --ansi-fg: #0550ae;
  }
  .ansi-magenta-fg {
    --ansi-fg: #6f42c1;
  }
  .ansi-cyan-fg {
    --ansi-fg: #0e6471;
  }
  .ansi-white-fg,
  .ansi-bright-black-fg,
  .ansi-bright-white-fg {
    --ansi-fg: #57606a;
  }
  .ansi-bright-red-fg {
    --ansi-fg: #b3151f;
  }
  .ansi-bright-green-fg {
    --ansi-fg: #17692f;
  }
  .ansi-bright-yellow-fg {
    --ansi-fg: #7a4a00;
  }
  .ansi-bright-blue-fg {
    --ansi-fg: #0a5bc4;
  }
  .ansi-bright-magenta-fg {
    --ansi-fg: #7e4bd3;
  }
  .ansi-bright-cyan-fg {
    --ansi-fg: #0b6d77;
  }

  .ansi-red-bg,
  .ansi-bright-red-bg {
    --ansi-bg: #ffebe9;
  }
  .ansi-green-bg,
  .ansi-bright-green-bg {
    --ansi-bg: #dafbe1;
  }
  .ansi-yellow-bg,
  .ansi-bright-yellow-bg {
    --ansi-bg: #fff8c5;
  }
  .ansi-blue-bg,
  .ansi-bright-blue-bg {
    --ansi-bg: #ddf4ff;
  }
  .ansi-magenta-bg,
  .ansi-bright-magenta-bg {
    --ansi-bg: #fbefff;
  }
  .ansi-cyan-bg,
  .ansi-bright-cyan-bg {
    --ansi-bg: #d7f5f5;
  }

  @media (prefers-color-scheme: dark) {
    .ansi-black-fg,
    .ansi-bright-black-fg {
      --ansi-fg: #8b949e;
    }
    .ansi-red-fg {
      --ansi-fg: #ff7b72;
    }
    .ansi-green-fg {
      --ansi-fg: #3fb950;
    }
    .ansi-yellow-fg {
      --ansi-fg: #d29922;
    }
    .ansi-blue-fg {
      --ansi-fg: #58a6ff;
    }
    .ansi-magenta-fg {
      --ansi-fg: #bc8cff;
    }
    .ansi-cyan-fg {
      --ansi-fg: #39c5cf;
    }
    .ansi-white-fg {
      --ansi-fg: #b1bac4;
    }
    .ansi-bright-red-fg {
      --ansi-fg: #ffa198;
    }
    .ansi-bright-green-fg {
      --ansi-fg: #56d364;
    }
    .ansi-bright-yellow-fg {
      --ansi-fg: #e3b341;
    }
    .ansi-bright-blue-fg {
      --ansi-fg: #79c0ff;
    }
    .ansi-bright-magenta-fg {
      --ansi-fg: #d2a8ff;
    }
    .ansi-bright-cyan-fg {
      --ansi-fg: #56d4dd;
    }
    .ansi-bright-white-fg {
      --ansi-fg: #f0f6fc;
    }

    .ansi-red-bg,
    .ansi-bright-red-bg {
      --ansi-bg: #3d1214;
    }
    .ansi-green-bg,
    .ansi-bright-green-bg {
      --ansi-bg: #0f2e17;
    }
    .ansi-yellow-bg,
    .ansi-bright-yellow-bg {
      --ansi-bg: #2e2308;
    }
    .ansi-blue-bg,
    .ansi-bright-blue-bg {
      --ansi-bg: #0a1f45;
    }
    .ansi-magenta-bg,
    .ansi-bright-magenta-bg {
      --ansi-bg: #2a1450;
    }
    .ansi-cyan-bg,
    .ansi-bright-cyan-bg {
      --ansi-bg: #0a2a2d;
    }
  }
`;

# buildpack: pip; kernels: python3
# ---- environment image: shared by every commit with the same environment files
ARG BINDER_BASE_IMAGE
FROM ${BINDER_BASE_IMAGE}

ENV DEBIAN_FRONTEND=noninteractive \
    LANG=C.UTF-8 \
    LC_ALL=C.UTF-8 \
    NB_USER=jovyan \
    NB_UID=1000 \
    HOME=/home/jovyan \
    REPO_DIR=/home/jovyan \
    PIP_INDEX_URL=http://127.0.0.1:3141/simple \
    PIP_RETRIES=0 \
    VENV_PATH=/srv/venv \
    PATH=/home/jovyan/.local/bin:/srv/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

RUN apt-get update -qq \
 && apt-get install -y --no-install-recommends ca-certificates python3 python3-venv \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --gid 1000 jovyan \
 && useradd --uid 1000 --gid 1000 --create-home --shell /bin/bash jovyan \
 && install -d -o 1000 -g 1000 /srv/venv
USER jovyan
WORKDIR /home/jovyan
RUN python3 -m venv --system-site-packages /srv/venv \
 && pip install --no-cache-dir --progress-bar off --retries 0 --index-url http://127.0.0.1:3141/simple jupyter_server ipykernel

LABEL org.binder-cell.builder-version="1"
# ---- content image: this commit on top of the environment image
ARG BINDER_ENV_IMAGE
FROM ${BINDER_ENV_IMAGE}

COPY glue/ /opt/binder-cell/
COPY --chown=1000:1000 repo/ /home/jovyan/

RUN pip install --no-cache-dir --progress-bar off --retries 0 --index-url http://127.0.0.1:3141/simple -r requirements.txt
RUN pip install --no-cache-dir --progress-bar off --retries 0 --index-url http://127.0.0.1:3141/simple .

LABEL org.binder-cell.repo="gh/binder-examples/demo/0123abc" \
      org.binder-cell.ref="0123abc" \
      org.binder-cell.builder-version="1"

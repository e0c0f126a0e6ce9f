# buildpack: conda; kernels: python3
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
    MAMBA_ROOT_PREFIX=/srv/conda \
    NB_PYTHON_PREFIX=/srv/conda/envs/notebook \
    PATH=/home/jovyan/.local/bin:/srv/conda/envs/notebook/bin:/srv/conda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

RUN apt-get update -qq \
 && apt-get install -y --no-install-recommends bzip2 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://micro.mamba.pm/api/micromamba/linux-64/latest | tar -xj -C /usr/local bin/micromamba
RUN groupadd --gid 1000 jovyan \
 && useradd --uid 1000 --gid 1000 --create-home --shell /bin/bash jovyan \
 && install -d -o 1000 -g 1000 /srv/conda
USER jovyan
WORKDIR /home/jovyan

COPY --chown=1000:1000 env/environment.yml /tmp/binder-env/environment.yml
RUN micromamba create -y -p /srv/conda/envs/notebook -c conda-forge -f /tmp/binder-env/environment.yml \
 && micromamba install -y -p /srv/conda/envs/notebook -c conda-forge python=3.12 jupyter_server ipykernel \
 && micromamba clean -y --all

LABEL org.binder-cell.builder-version="1"
# ---- content image: this commit on top of the environment image
ARG BINDER_ENV_IMAGE
FROM ${BINDER_ENV_IMAGE}

COPY glue/ /opt/binder-cell/
COPY --chown=1000:1000 repo/ /home/jovyan/

LABEL org.binder-cell.repo="gh/binder-examples/demo/0123abc" \
      org.binder-cell.ref="0123abc" \
      org.binder-cell.builder-version="1"

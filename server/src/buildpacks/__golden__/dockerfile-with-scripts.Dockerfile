# buildpack: dockerfile; kernels: python3
# ---- environment image: the repository's own Dockerfile, with the repository as context
FROM binder-cell-base:bookworm
# ---- content image: this commit on top of the environment image
ARG BINDER_ENV_IMAGE
FROM ${BINDER_ENV_IMAGE}

COPY glue/ /opt/binder-cell/

LABEL org.binder-cell.repo="gh/binder-examples/demo/0123abc" \
      org.binder-cell.ref="0123abc" \
      org.binder-cell.builder-version="1"

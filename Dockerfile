# DatasetGAN Studio's command line (`dgs`) for batch jobs: generation shards on a cluster
# (docs/scale-out.md), training and merging on a server. CPU only; Dockerfile.cuda adds the GPU.
#
#   docker build -t registry.example/dgs:latest .
#   docker run --rm -v "$PWD:/data" registry.example/dgs:latest dgs demo --out /data/dgs-demo
#
# The desktop app and `dgs serve` are not in the image (they need the UI's build tools).

FROM node:20-bookworm AS build
WORKDIR /opt/dgs
# package.json's allowScripts (which install scripts run) needs npm 11.
RUN npm install -g npm@11
COPY package.json package-lock.json ./
COPY tools/build-cli.mjs ./tools/build-cli.mjs
COPY src ./src
# Every dependency, since npm ci's `prepare` compiles the dgs bundles (out/cli) with esbuild; then the
# runtime ones only (better-sqlite3 fetches or builds its native module here) and no sources.
RUN npm ci && npm prune --omit=dev && npm cache clean --force && rm -rf src tools
COPY bin ./bin
COPY assets ./assets

FROM node:20-bookworm-slim
WORKDIR /opt/dgs
COPY --from=build /opt/dgs /opt/dgs
RUN ln -s /opt/dgs/bin/dgs.js /usr/local/bin/dgs && dgs --help > /dev/null
USER node
WORKDIR /data
CMD ["dgs", "--help"]

# tscap in a container: Debian slim with Node 20, tscap installed with `npm ci --omit=dev`, run as a
# non-root user whose only privilege is CAP_NET_RAW (and CAP_NET_ADMIN when built for NFQUEUE).
#
#   docker build -t tscap .
#   docker run --rm --network host --cap-drop ALL --cap-add NET_RAW tscap -i br0 -n
#
# A non-root process gets no capability from `--cap-add` alone (Docker sets no ambient capabilities),
# so the image gives them to a copy of node used only by tscap, as file capabilities. A capability
# named there must also be in the container's bounding set, or the kernel refuses to run it: build
# with `--build-arg CAPS=cap_net_raw,cap_net_admin+ep` only for containers run with
# `--cap-add NET_ADMIN`.

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
RUN npm ci --no-audit --no-fund --ignore-scripts && npx tsc -p tsconfig.build.json

FROM node:20-bookworm-slim
ARG CAPS=cap_net_raw+ep
WORKDIR /opt/tscap
COPY package.json package-lock.json LICENSE README.md ./
COPY man ./man
COPY --from=build /src/dist ./dist
# `prepare` builds from sources, which are not here. Never --omit=optional: koffi's native part is
# an optional dependency.
RUN npm pkg delete scripts.prepare \
 && npm ci --omit=dev --no-audit --no-fund \
 && apt-get update -q && apt-get install -y -q --no-install-recommends libcap2-bin \
 && cp "$(command -v node)" /opt/tscap/node \
 && setcap "$CAPS" /opt/tscap/node \
 && apt-get purge -y -q libcap2-bin && rm -rf /var/lib/apt/lists/* \
 && printf '#!/bin/sh\nexec /opt/tscap/node /opt/tscap/dist/bin/tscap.js "$@"\n' > /usr/local/bin/tscap \
 && chmod 755 /usr/local/bin/tscap \
 && useradd --system --no-create-home --shell /usr/sbin/nologin tscap
USER tscap
ENTRYPOINT ["tscap"]
CMD ["--help"]

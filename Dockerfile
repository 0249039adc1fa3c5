# syntax=docker/dockerfile:1
# Build stage: restore with the pinned central package versions, publish the host.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ChatOps.sln appsettings.json ./
COPY src/ src/
RUN dotnet restore src/ChatOps.Host/ChatOps.Host.csproj
RUN dotnet publish src/ChatOps.Host/ChatOps.Host.csproj -c Release -o /app --no-restore /p:UseAppHost=false

# Runtime stage: ASP.NET runtime plus pg_dump/psql, which the backup and restore steps run.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# pg_dump refuses a server of a newer major version, so the client comes from the PostgreSQL project's Debian
# repository (apt.postgresql.org) at a stated major, not whatever the distribution ships. Set it to the target
# database's major (or newer): docker build --build-arg PG_MAJOR=17 . The bot checks this at start-up and in the doctor.
# tzdata: freeze windows name IANA time zones (ChatOps:Environments:<env>:Freezes).
ARG PG_MAJOR=17
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
    && install -d /usr/share/postgresql-common/pgdg \
    && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc https://www.postgresql.org/media/keys/ACCC4CF8.asc \
    && . /etc/os-release \
    && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt ${VERSION_CODENAME}-pgdg main" \
        > /etc/apt/sources.list.d/pgdg.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends "postgresql-client-${PG_MAJOR}" tzdata \
    && apt-get purge -y --auto-remove curl gnupg \
    && rm -rf /var/lib/apt/lists/* \
    && pg_dump --version | grep -q "(PostgreSQL) ${PG_MAJOR}\."
# The base image defines the non-root user `app` (uid 1654, $APP_UID). /app stays root-owned and read-only to it;
# everything the bot writes (the SQLite store, pg_dump backups) goes to /data, where Fly mounts the volume.
RUN mkdir -p /data/backups && chown -R "$APP_UID:$APP_UID" /data
WORKDIR /app
COPY --from=build /app ./
USER $APP_UID
# ASPNETCORE_HTTP_PORTS is the base image's own (8080): the bot listens on every interface there, as Fly expects.
# No environment is named here: a relative Backup:Directory (default backups) lies beside the store, /data/backups.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ChatOps__Mode=live \
    ChatOps__StorePath=/data/chatops.db \
    Console__Enabled=false \
    Logging__Format=json \
    DOTNET_NOLOGO=1
EXPOSE 8080
# No HEALTHCHECK: the image has neither curl nor wget (removed above) and /bin/sh is dash, which has no /dev/tcp,
# so any shell check would always fail. Fly ignores HEALTHCHECK anyway and uses the checks in fly.toml
# (/health/live and /health/ready); under plain Docker, probe those from outside the container.
ENTRYPOINT ["dotnet", "ChatOps.Host.dll"]

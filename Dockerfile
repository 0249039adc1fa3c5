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
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system chatops && useradd --system --gid chatops --home-dir /app --shell /usr/sbin/nologin chatops \
    && mkdir -p /data/backups && chown -R chatops:chatops /data
WORKDIR /app
COPY --from=build /app ./
USER chatops
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Urls=http://0.0.0.0:8080 \
    ChatOps__Mode=live \
    ChatOps__StorePath=/data/chatops.db \
    Console__Enabled=false \
    DOTNET_NOLOGO=1
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
ENTRYPOINT ["dotnet", "ChatOps.Host.dll"]

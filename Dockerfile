# streamcl: one image for every subcommand (run, produce, broker, ...).
# Build the jar first, then the image:
#   mvn -B -DskipTests package && docker build -t streamcl .
FROM eclipse-temurin:17-jre

# DJL: never download at run time (the CPU libtorch is inside the jar), no usage tracking,
# and unpack the native libraries into a directory that a volume can keep between runs.
ENV DJL_OFFLINE=true \
    OPT_OUT_TRACKING=true \
    DJL_CACHE_DIR=/var/cache/djl

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin streamcl \
 && mkdir -p /app /var/cache/djl \
 && chown streamcl /app /var/cache/djl

WORKDIR /app
COPY stream-app/target/stream-app.jar /app/stream-app.jar
USER streamcl

# the live heap is tens of MiB (the ITs run every command in 1 GiB); without a limit G1 keeps committing heap up to a quarter of RAM
ENTRYPOINT ["java","-Xmx1g","-jar","/app/stream-app.jar"]
CMD ["--help"]

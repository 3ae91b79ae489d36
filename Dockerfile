# One image for post-miner, post-worker and post-tool. Build: docker build -t postfleet .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# the C compiler builds the native Poseidon library into the proofs jar
RUN apt-get update -qq && apt-get install -y -qq gcc libc6-dev && rm -rf /var/lib/apt/lists/*
COPY . .
RUN mvn -q -B install -DskipTests \
 && for m in proofs worker producer; do \
      mvn -q -B -pl $m dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/out/lib \
      && cp $m/target/$m-*.jar /out/lib/; \
    done

FROM eclipse-temurin:17-jre
# OpenCL loader; the GPU vendor's ICD comes with the NVIDIA container runtime (or mount one)
RUN apt-get update -qq && apt-get install -y -qq ocl-icd-libopencl1 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /etc/OpenCL/vendors && echo libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd
COPY --from=build /out/lib /opt/postfleet/lib
RUN printf '#!/bin/sh\nexec java $JAVA_OPTS -cp "/opt/postfleet/lib/*" io.postfleet.miner.cli.PostMiner "$@"\n' > /usr/local/bin/post-miner \
 && printf '#!/bin/sh\nexec java $JAVA_OPTS -cp "/opt/postfleet/lib/*" io.postfleet.worker.cli.PostWorkerMain "$@"\n' > /usr/local/bin/post-worker \
 && printf '#!/bin/sh\nexec java $JAVA_OPTS -cp "/opt/postfleet/lib/*" io.postfleet.proofs.cli.PostTool "$@"\n' > /usr/local/bin/post-tool \
 && chmod +x /usr/local/bin/post-*
ENTRYPOINT []

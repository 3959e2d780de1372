# pulse: build, run, test and measure. `make help` lists the targets.
MVN      ?= mvn -B -q
JAVA     ?= java
SERVER_JAR := server/target/pulse-server.jar
PERF_JAR   := perf/target/benchmarks.jar
SOURCES  := $(shell find pom.xml protocol server perf \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -type f 2>/dev/null | grep -v /target/)

.PHONY: help build run test bench eval clean e2e docker minikube-load load fuzz soak soak-churn

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

build: $(SERVER_JAR) ## compile and package every module (tests skipped)

$(SERVER_JAR) $(PERF_JAR): $(SOURCES)
	$(MVN) package -DskipTests

run: $(SERVER_JAR) ## start the server on SERVER_PORT (default 8080)
	$(JAVA) -jar $(SERVER_JAR)

test: ## run every test
	$(MVN) verify

bench: $(PERF_JAR) ## JMH benchmarks, every one (JMH estimates 20 minutes on 2 cores); BENCH_ARGS=SeriesBenchmark runs one
	$(JAVA) -jar $(PERF_JAR) $(BENCH_ARGS)

eval: $(SERVER_JAR) $(PERF_JAR) ## NAB scores, synthetic check and labelled stream families of each DETECTOR; writes results/nab/
	$(JAVA) -cp $(PERF_JAR) dev.pulse.perf.nab.NabEval --detectors zscore,robust,pervalue,novelty --via both --server-jar $(SERVER_JAR) --out results/nab $(EVAL_ARGS)
	$(JAVA) -cp $(PERF_JAR) dev.pulse.perf.nab.SyntheticCheck --detectors zscore,robust,pervalue,novelty > results/nab/synthetic.md
	cat results/nab/synthetic.md
	$(JAVA) -cp $(PERF_JAR) dev.pulse.perf.stream.FamilyCheck --detectors zscore,robust,pervalue,novelty > results/nab/families.md
	grep 'families meet' results/nab/families.md

clean:
	$(MVN) clean

e2e: $(SERVER_JAR) ## the dashboard against a real Prometheus, Redis and server; the live page in headless Chromium
	./e2e/dashboard-check.sh
	./e2e/page-check.sh

IMAGE ?= pulse:v1.0

docker: ## build the container image $(IMAGE)
	docker build -t $(IMAGE) .

minikube-load: ## load $(IMAGE) into Minikube's image store
	minikube image load $(IMAGE)

load: $(SERVER_JAR) ## the load generator: make load ARGS="--url http://127.0.0.1:8080 --rate 5000"
	$(JAVA) -jar perf/target/pulse-load.jar $(ARGS)

fuzz: ## coverage-guided fuzzing (Jazzer) of the event, remote-write and OTLP decoders, then of the whole HTTP path and of a series under each detector, 60 s each; findings land in the test corpus
	JAZZER_FUZZ=1 $(MVN) -pl protocol test -Dtest=EventDecoderFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
	JAZZER_FUZZ=1 $(MVN) -pl protocol test -Dtest=RemoteWriteDecoderFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
	JAZZER_FUZZ=1 $(MVN) -pl protocol test -Dtest=OtlpDecoderFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
	$(MVN) -pl protocol -am install -DskipTests
	JAZZER_FUZZ=1 $(MVN) -pl server test -Dtest=HttpPathFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
	JAZZER_FUZZ=1 $(MVN) -pl server test -Dtest=SeriesFuzzTest -Dsurefire.failIfNoSpecifiedTests=false

soak: $(SERVER_JAR) ## fixed-rate load with Redis for SOAK_SECONDS (600): heap, RSS, fds and p99 must stay flat
	./perf/scripts/soak.sh

soak-churn: $(SERVER_JAR) ## 1,000,000 short-lived sources over CHURN_SECONDS (600) with MAX_SOURCES=10000, a 2 s SERIES_TTL_MS and Redis: no 422, heap, RSS and Redis keys flat
	./perf/scripts/soak-churn.sh

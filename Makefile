# DealRisk: the two commands a newcomer needs are `make run` and `make test`.
.PHONY: run test bench up down demo build clean install uninstall

DEALS ?= 1000000

run:
	dotnet build services/AllInOne -c Release -nologo -v q -clp:ErrorsOnly
	dotnet services/AllInOne/bin/Release/net10.0/dealrisk.dll run

test:
	deploy/scripts/test.sh

bench:
	deploy/scripts/bench.sh $(DEALS)

up:
	deploy/scripts/up.sh

down:
	deploy/scripts/down.sh

demo:
	deploy/scripts/demo.sh

install:
	deploy/scripts/install-cli.sh

uninstall:
	dotnet tool uninstall --global DealRisk.Cli

build:
	dotnet build DealRisk.sln -c Release -nologo -v q -clp:ErrorsOnly

clean:
	rm -rf .data .run results
	dotnet clean DealRisk.sln -nologo -v q

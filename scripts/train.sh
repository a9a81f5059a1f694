#!/usr/bin/env bash
# Train the Rasa model when it is missing or stale. Stale means: the pipeline, the domain, the
# training data, the NLU components or the sample catalog's vocabulary changed. A new or changed
# catalog needs no retraining to be linked (the linker indexes it at load time); only the jieba
# dictionary inside the model would lag, which is why the catalog counts in the stamp.
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=models/shouwen.tar.gz
inputs=$(ls config.yml bot/domain.yml bot/*.py requirements/rasa.lock; find bot/data nlu_data catalog/sample_city -type f | sort)
want=$(cat $inputs | sha256sum | cut -c1-16)
if [ -f "$MODEL" ] && [ "$(cat models/.stamp 2>/dev/null)" = "$want" ] && [ "${FORCE_TRAIN:-0}" != 1 ]; then
  exit 0
fi
printf '\033[1m[setup]\033[0m training the Rasa model (a few minutes) …\n'
t0=$(date +%s)
mkdir -p models reports .models
# Rasa's training cache cannot see the catalog (read by the tokenizer), so it is off.
RASA_MAX_CACHE_SIZE=0 TF_CPP_MIN_LOG_LEVEL=2 PYTHONPATH=$PWD .venv-rasa/bin/rasa train --config config.yml --domain bot/domain.yml \
  --data nlu_data bot/data --out models --fixed-model-name shouwen --quiet > .models/train.log 2>&1 || {
  echo "training failed; the end of .models/train.log:" >&2; tail -30 .models/train.log >&2; exit 1; }
echo "$want" > models/.stamp
echo "{\"train_seconds\": $(( $(date +%s) - t0 ))}" > models/train-time.json
printf '\033[1m[setup]\033[0m model trained in %ss\n' "$(( $(date +%s) - t0 ))"

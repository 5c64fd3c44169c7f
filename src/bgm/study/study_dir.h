#pragma once
// A study's output directory: config.json (the study's configuration), runs/seedS/ROLE (links
// to the run directories in the store), summary.json and report.md. One directory holds one
// study: running the same configuration again completes it, another is refused.
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "bgm/models/model_zoo.h"
#include "bgm/study/run_store.h"

namespace bgm {

/// Refuses `out` if it is a non-study path, or a study directory whose config.json["study"]
/// differs from `study` (naming the differing fields); a new or matching directory passes.
void check_study_dir(const std::filesystem::path& out, const nlohmann::json& study);

/// Refuses `out` unless it holds a planned study (config.json and plan.json from `bgm plan`).
void require_plan(const std::filesystem::path& out);

/// Runs a study's `body`. An error other than a stop request (Interrupted, rethrown as it is) is
/// written to out/error.txt and rethrown naming it, the finished runs staying in the store;
/// summary.json is only ever written complete. A body that returns removes error.txt.
void run_recording_errors(const std::filesystem::path& out, const std::function<void()>& body);

/// out/runs/seedS/ROLE -> run_dir (absolute), replaced atomically if there.
void link_run(const std::filesystem::path& out, uint64_t seed, const std::string& role,
              const std::filesystem::path& run_dir);

/// Makes `to` a copy of `from` that survives if the store is moved: a hard link where the
/// file system allows, else a copy; written under a temporary name and renamed.
void place_file(const std::filesystem::path& from, const std::filesystem::path& to);

/// d(from, to) = ||from - to|| / ||to|| over the trainable parameters of two stored runs' weights.
double stored_distance(const RunStore& store, const std::string& from, const std::string& to, const ModelSpec& spec);

}  // namespace bgm

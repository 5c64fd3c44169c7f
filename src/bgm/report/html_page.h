#pragma once
// report.html: the report's Markdown rendered by cmark-gfm (GitHub's tables), with every figure
// it links (figures/NAME.png) embedded as a data URI, so the one file is the whole report.
#include <filesystem>
#include <string>

namespace bgm {

/// A complete, self-contained HTML page; images are read relative to `dir`. Throws bgm::Error
/// naming a linked image that cannot be read.
std::string html_page(const std::string& title, const std::string& markdown, const std::filesystem::path& dir);

/// RFC 4648 base64 of bytes (with '=' padding).
std::string base64(const std::string& bytes);

}  // namespace bgm

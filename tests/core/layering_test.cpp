// The layering rule of README.md's architecture table, checked on the
// sources: every `#include "folder/…"` in a layer's files must name its own
// folder or one of the folders in its "may use" column. The table is read
// from the README itself, so the README and the code cannot drift apart.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "yorisoi_source_dir.h"

namespace {

namespace fs = std::filesystem;

struct Layer {
  std::string folder;  // "knowledge/calc"
  std::set<std::string> uses;
  bool uses_all = false;  // app/: "every folder above"
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> SplitCells(const std::string& row) {
  std::vector<std::string> cells;
  std::string cell;
  for (std::size_t i = 1; i < row.size(); ++i) {
    if (row[i] == '|') {
      cells.push_back(cell);
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  return cells;
}

// Rows of the table under "## Architecture", in order.
std::vector<Layer> ReadTable() {
  std::istringstream in(ReadFile(fs::path(YORISOI_SOURCE_DIR) / "README.md"));
  std::vector<Layer> layers;
  const std::regex folder_re("`([a-z_/]+)/`");
  bool in_section = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("## ", 0) == 0) in_section = line == "## Architecture";
    if (!in_section || line.rfind("| `", 0) != 0) continue;
    const auto cells = SplitCells(line);
    if (cells.size() < 4) continue;
    std::smatch m;
    if (!std::regex_search(cells[0], m, folder_re)) continue;
    Layer l{m[1], {}, cells[3].find("every folder") != std::string::npos};
    for (std::sregex_iterator it(cells[3].begin(), cells[3].end(), folder_re), end; it != end; ++it)
      l.uses.insert((*it)[1]);
    layers.push_back(l);
  }
  return layers;
}

// The table folder a repository path belongs to: the longest folder prefix.
std::string LayerOf(const std::string& path, const std::vector<Layer>& layers) {
  std::string best;
  for (const Layer& l : layers)
    if (path.rfind(l.folder + "/", 0) == 0 && l.folder.size() > best.size()) best = l.folder;
  return best;
}

TEST(Layering, TheReadmeTableListsEveryLibraryFolderBottomUp) {
  const auto layers = ReadTable();
  ASSERT_GE(layers.size(), 8u) << "README.md: no architecture table found";
  std::set<std::string> listed;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = layers[i];
    EXPECT_TRUE(fs::is_directory(fs::path(YORISOI_SOURCE_DIR) / l.folder))
        << "README lists " << l.folder << "/, which does not exist";
    for (const std::string& u : l.uses)
      EXPECT_TRUE(listed.count(u)) << l.folder << "/ may use " << u
                                   << "/, which is not listed before it";
    listed.insert(l.folder);
  }
  // Every folder that builds a library is in the table.
  for (const auto& e : fs::recursive_directory_iterator(YORISOI_SOURCE_DIR)) {
    const std::string rel = fs::relative(e.path(), YORISOI_SOURCE_DIR).generic_string();
    if (rel.rfind("build", 0) == 0 || rel.rfind("tests", 0) == 0 || rel.rfind(".", 0) == 0) continue;
    if (e.path().filename() != "CMakeLists.txt") continue;
    const std::string text = ReadFile(e.path());
    if (text.find("yorisoi_library(") == std::string::npos) continue;
    const std::string folder = fs::path(rel).parent_path().generic_string();
    EXPECT_TRUE(listed.count(folder)) << folder << "/ builds a library but is not in README's table";
  }
}

TEST(Layering, NoSourceIncludesALayerItMayNotUse) {
  const auto layers = ReadTable();
  ASSERT_FALSE(layers.empty());
  std::map<std::string, const Layer*> by_folder;
  for (const Layer& l : layers) by_folder[l.folder] = &l;
  const std::regex include_re("^\\s*#\\s*include\\s+\"([^\"]+)\"");
  int files = 0, includes = 0;
  for (const Layer& l : layers) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(YORISOI_SOURCE_DIR) / l.folder)) {
      const auto ext = e.path().extension();
      if (ext != ".h" && ext != ".cpp") continue;
      const std::string rel = fs::relative(e.path(), YORISOI_SOURCE_DIR).generic_string();
      if (LayerOf(rel, layers) != l.folder) continue;  // a sub-folder with its own row
      ++files;
      std::istringstream in(ReadFile(e.path()));
      int line_no = 0;
      for (std::string line; std::getline(in, line);) {
        ++line_no;
        std::smatch m;
        if (!std::regex_search(line, m, include_re)) continue;
        const std::string target = LayerOf(m[1], layers);
        if (target.empty()) continue;  // generated or third-party headers
        ++includes;
        const bool allowed = target == l.folder || l.uses_all || l.uses.count(target);
        EXPECT_TRUE(allowed) << rel << ":" << line_no << " includes \"" << m[1].str() << "\": "
                             << l.folder << "/ may not use " << target << "/";
      }
    }
  }
  EXPECT_GT(files, 100);
  EXPECT_GT(includes, 200);
}

}  // namespace

# yorisoi_library(NAME USES folder... PUBLIC_LIBS ... PRIVATE_LIBS ...)
# One static library per folder from the *.cpp files directly in that folder
# (an interface library while a folder has headers only).
#
# USES names the project folders (top-level names: core, knowledge, store,
# text, dialogs, bot, adapters) whose headers this layer may include, besides
# its own. The target's include directory is a directory of symbolic links to
# exactly those folders, so `#include "dialogs/…"` from a lower layer does not
# compile. tests/layering_test.cpp checks the finer rules (sub-folders such as
# knowledge/calc) against the README's architecture table.
function(yorisoi_library name)
  cmake_parse_arguments(ARG "" "" "USES;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
  file(RELATIVE_PATH own ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  string(REGEX REPLACE "/.*" "" own_top "${own}")
  set(view ${CMAKE_BINARY_DIR}/layers/${name})
  file(REMOVE_RECURSE ${view})
  file(MAKE_DIRECTORY ${view})
  foreach(folder ${own_top} ${ARG_USES})
    if(NOT EXISTS ${view}/${folder})
      file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${folder} ${view}/${folder} SYMBOLIC)
    endif()
  endforeach()

  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  list(FILTER srcs EXCLUDE REGEX "_test\\.cpp$")
  if(NOT srcs)
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${view})
    target_link_libraries(${name} INTERFACE ${ARG_PUBLIC_LIBS})
    return()
  endif()
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} PUBLIC ${view})
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_LIBS} PRIVATE ${ARG_PRIVATE_LIBS})
endfunction()

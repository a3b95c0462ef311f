# The C API (lib/src/capi) and libhelpmark.so. Included from lib/CMakeLists.txt after
# helpmark_core is defined.
#
# - helpmark_capi: the extern "C" functions, compiled once with hidden visibility; only what
#   helpmark.h marks HM_EXTERN is visible.
# - helpmark_core (libhelpmark.a) gets those objects too, so the static library carries the C
#   API as well as the C++ one, and the test binary can call hm_* directly.
# - helpmark_shared (libhelpmark.so.<SOVERSION>): the C API objects plus the static core; a
#   version script and --exclude-libs keep every non-hm_* symbol local.

# Bump when the C ABI breaks (a function removed or changed, a status code renumbered);
# additions keep it. docs/api.md, "Versioning".
set(HELPMARK_SOVERSION 0 CACHE INTERNAL "SOVERSION of libhelpmark.so")

set(HELPMARK_GENERATED_INCLUDE_DIR ${PROJECT_BINARY_DIR}/generated/include CACHE INTERNAL "helpmark/version.h is here")
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.h.in ${HELPMARK_GENERATED_INCLUDE_DIR}/helpmark/version.h @ONLY)
target_include_directories(helpmark_core PUBLIC $<BUILD_INTERFACE:${HELPMARK_GENERATED_INCLUDE_DIR}>)

add_library(helpmark_capi OBJECT
  ${CMAKE_CURRENT_LIST_DIR}/errors.cpp
  ${CMAKE_CURRENT_LIST_DIR}/index_api.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tracking_api.cpp)
set_target_properties(helpmark_capi PROPERTIES
  POSITION_INDEPENDENT_CODE ON
  CXX_VISIBILITY_PRESET hidden
  VISIBILITY_INLINES_HIDDEN ON)
target_compile_definitions(helpmark_capi PRIVATE HM_BUILDING_LIBRARY)
target_include_directories(helpmark_capi PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/include ${HELPMARK_GENERATED_INCLUDE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/src)
# Usage requirements only (headers): the objects are linked into the two libraries below.
target_link_libraries(helpmark_capi PRIVATE PkgConfig::XAPIAN yaml-cpp nlohmann_json::nlohmann_json
                                            helpmark_warnings)

target_sources(helpmark_core PRIVATE $<TARGET_OBJECTS:helpmark_capi>)

add_library(helpmark_shared SHARED $<TARGET_OBJECTS:helpmark_capi>)
add_library(helpmark::helpmark ALIAS helpmark_shared)
set_target_properties(helpmark_shared PROPERTIES
  OUTPUT_NAME helpmark
  EXPORT_NAME helpmark
  VERSION ${PROJECT_VERSION}
  SOVERSION ${HELPMARK_SOVERSION}
  LINKER_LANGUAGE CXX
  CXX_VISIBILITY_PRESET hidden
  VISIBILITY_INLINES_HIDDEN ON
  LINK_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/helpmark.map)
target_include_directories(helpmark_shared INTERFACE
  $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
  $<BUILD_INTERFACE:${HELPMARK_GENERATED_INCLUDE_DIR}>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_link_libraries(helpmark_shared PRIVATE
  helpmark_core PkgConfig::XAPIAN PkgConfig::CMARK_GFM ICU::uc ICU::i18n yaml-cpp SQLite::SQLite3 PkgConfig::HUNSPELL ${HELPMARK_BLAS_LIBRARY}
  Threads::Threads)
target_link_options(helpmark_shared PRIVATE
  "LINKER:--exclude-libs,ALL"
  "LINKER:--version-script=${CMAKE_CURRENT_LIST_DIR}/helpmark.map")

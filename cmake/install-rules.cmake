# What `cmake --install` puts where (included at the end of the top-level CMakeLists.txt).
#
#   bin/helpmark                          the CLI (cli/CMakeLists.txt)
#   lib/libhelpmark.so.<ver>, .so.0, .so  the C API: the stable ABI
#   lib/libhelpmark.a                     the C API and the C++ core, for static linking
#   include/helpmark/helpmark.h           the C API; version.h is generated
#   include/helpmark/*.hpp                the C++ API: static library only, no ABI promise
#   lib/pkgconfig/helpmark.pc             pkg-config (Requires.private for --static)
#   lib/cmake/helpmark/                   find_package(helpmark): helpmark::helpmark (shared),
#                                         helpmark::helpmark_static (COMPONENTS static)
include(CMakePackageConfigHelpers)

set(HELPMARK_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/helpmark
    CACHE STRING "Where to install helpmark's CMake package, relative to the prefix")
mark_as_advanced(HELPMARK_INSTALL_CMAKEDIR)

install(TARGETS helpmark_shared EXPORT helpmark-targets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT Development
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set_target_properties(helpmark_core PROPERTIES EXPORT_NAME helpmark_static)
install(TARGETS helpmark_core EXPORT helpmark-static-targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT Development
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(DIRECTORY ${PROJECT_SOURCE_DIR}/lib/include/helpmark
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT Development
  FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")
install(FILES ${HELPMARK_GENERATED_INCLUDE_DIR}/helpmark/version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/helpmark COMPONENT Development)

# pkg-config: relocatable (the prefix is found from the .pc file's own place), so
# `cmake --install build --prefix DIR` works without reconfiguring.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(HELPMARK_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(HELPMARK_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH _helpmark_pc_up "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
  string(REGEX REPLACE "/$" "" _helpmark_pc_up "${_helpmark_pc_up}")
  set(HELPMARK_PC_PREFIX "\${pcfiledir}/${_helpmark_pc_up}")
  set(HELPMARK_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(HELPMARK_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(HELPMARK_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/helpmark.pc.in ${PROJECT_BINARY_DIR}/helpmark.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/helpmark.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT Development)

# CMake package.
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/helpmark-config.cmake.in
  ${PROJECT_BINARY_DIR}/helpmark-config.cmake
  INSTALL_DESTINATION ${HELPMARK_INSTALL_CMAKEDIR})
# The C ABI follows the SOVERSION; within one major version newer is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/helpmark-config-version.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/helpmark-config.cmake ${PROJECT_BINARY_DIR}/helpmark-config-version.cmake
  DESTINATION ${HELPMARK_INSTALL_CMAKEDIR} COMPONENT Development)
install(EXPORT helpmark-targets NAMESPACE helpmark::
  DESTINATION ${HELPMARK_INSTALL_CMAKEDIR} COMPONENT Development)
install(EXPORT helpmark-static-targets NAMESPACE helpmark::
  DESTINATION ${HELPMARK_INSTALL_CMAKEDIR} COMPONENT Development)

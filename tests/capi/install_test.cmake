# `cmake --install` into a temporary prefix, then build examples/c/search_and_click.c against
# the installed tree four ways (find_package shared and static, pkg-config shared and
# static) and run each build against a real index.
#
# Variables: BUILD_DIR SOURCE_DIR WORK_DIR INDEX LIBDIR GENERATOR MAKE_PROGRAM C_COMPILER
#            CXX_COMPILER C_FLAGS CXX_FLAGS LINKER_FLAGS PKG_CONFIG READELF
cmake_minimum_required(VERSION 3.25)

function(run)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "WHAT;OUTPUT" "COMMAND")
  execute_process(COMMAND ${arg_COMMAND} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " shown "${arg_COMMAND}")
    message(FATAL_ERROR "${arg_WHAT} failed (${rc}):\n$ ${shown}\n${out}\n${err}")
  endif()
  if(arg_OUTPUT)
    set(${arg_OUTPUT} "${out}" PARENT_SCOPE)
  endif()
endfunction()

# Runs a consumer: it must search, print hits and facets, and record a click.
function(check_consumer exe label)
  run(WHAT "running the ${label} consumer" OUTPUT out
      COMMAND ${exe} ${INDEX} ${WORK_DIR}/events-${label}.sqlite refund en)
  foreach(pattern "results for \"refund\"" "1\\. How long a refund takes \\[refund-timing" "journey: payments \\([0-9]+\\)"
                  "recorded search [^ ]+ and click")
    if(NOT out MATCHES "${pattern}")
      message(FATAL_ERROR "the ${label} consumer's output does not match '${pattern}':\n${out}")
    endif()
  endforeach()
  run(WHAT "readelf" OUTPUT dyn COMMAND ${READELF} -d ${exe})
  if(label MATCHES "static" AND dyn MATCHES "libhelpmark\\.so")
    message(FATAL_ERROR "the ${label} consumer needs libhelpmark.so:\n${dyn}")
  elseif(NOT label MATCHES "static" AND NOT dyn MATCHES "libhelpmark\\.so\\.0")
    message(FATAL_ERROR "the ${label} consumer does not link libhelpmark.so.0:\n${dyn}")
  endif()
  message("ok: ${label} consumer")
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

run(WHAT "cmake --install" COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(f bin/helpmark ${LIBDIR}/libhelpmark.so ${LIBDIR}/libhelpmark.so.0 ${LIBDIR}/libhelpmark.a
          include/helpmark/helpmark.h include/helpmark/version.h include/helpmark/index.hpp
          include/helpmark/status.hpp ${LIBDIR}/pkgconfig/helpmark.pc
          ${LIBDIR}/cmake/helpmark/helpmark-config.cmake ${LIBDIR}/cmake/helpmark/helpmark-config-version.cmake
          ${LIBDIR}/cmake/helpmark/helpmark-targets.cmake ${LIBDIR}/cmake/helpmark/helpmark-static-targets.cmake)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "cmake --install did not install ${f}")
  endif()
endforeach()
if(IS_SYMLINK ${prefix}/${LIBDIR}/libhelpmark.so.0)
  file(READ_SYMLINK ${prefix}/${LIBDIR}/libhelpmark.so.0 target)
  message("ok: installed; libhelpmark.so.0 -> ${target}")
endif()
run(WHAT "the installed CLI" OUTPUT version COMMAND ${prefix}/bin/helpmark --version)

# find_package(helpmark): shared, then static.
foreach(kind shared static)
  set(static OFF)
  if(kind STREQUAL "static")
    set(static ON)
  endif()
  run(WHAT "configuring the find_package (${kind}) consumer"
      COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/c -B ${WORK_DIR}/cmake-${kind} -G ${GENERATOR}
              -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM} -DCMAKE_C_COMPILER=${C_COMPILER}
              -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_C_FLAGS=${C_FLAGS} -DCMAKE_CXX_FLAGS=${CXX_FLAGS}
              -DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS} -DCMAKE_PREFIX_PATH=${prefix}
              -DHELPMARK_EXAMPLE_STATIC=${static})
  run(WHAT "building the find_package (${kind}) consumer" COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake-${kind})
  check_consumer(${WORK_DIR}/cmake-${kind}/search_and_click cmake-${kind})
endforeach()

# pkg-config: shared, then static (libhelpmark.a plus `pkg-config --static --libs`).
set(ENV{PKG_CONFIG_PATH} "${prefix}/${LIBDIR}/pkgconfig")
run(WHAT "pkg-config --modversion" OUTPUT pc_version COMMAND ${PKG_CONFIG} --modversion helpmark)
run(WHAT "pkg-config --cflags" OUTPUT pc_cflags COMMAND ${PKG_CONFIG} --cflags helpmark)
run(WHAT "pkg-config --libs" OUTPUT pc_libs COMMAND ${PKG_CONFIG} --libs helpmark)
run(WHAT "pkg-config --static --libs" OUTPUT pc_static COMMAND ${PKG_CONFIG} --static --libs helpmark)
separate_arguments(pc_cflags UNIX_COMMAND "${pc_cflags}")
separate_arguments(pc_libs UNIX_COMMAND "${pc_libs}")
separate_arguments(pc_static UNIX_COMMAND "${pc_static}")
separate_arguments(c_flags UNIX_COMMAND "${C_FLAGS}")
separate_arguments(linker_flags UNIX_COMMAND "${LINKER_FLAGS}")
list(REMOVE_ITEM pc_static -lhelpmark)
string(STRIP "${pc_version}" pc_version)
message("ok: pkg-config finds helpmark ${pc_version}")

run(WHAT "building the pkg-config (shared) consumer"
    COMMAND ${C_COMPILER} -std=c99 ${c_flags} ${pc_cflags} ${SOURCE_DIR}/examples/c/search_and_click.c
            -o ${WORK_DIR}/pc-shared ${linker_flags} ${pc_libs} -Wl,-rpath,${prefix}/${LIBDIR})
check_consumer(${WORK_DIR}/pc-shared pkg-config-shared)
run(WHAT "building the pkg-config (static) consumer"
    COMMAND ${C_COMPILER} -std=c99 ${c_flags} ${pc_cflags} ${SOURCE_DIR}/examples/c/search_and_click.c
            -o ${WORK_DIR}/pc-static ${linker_flags} ${prefix}/${LIBDIR}/libhelpmark.a ${pc_static})
check_consumer(${WORK_DIR}/pc-static pkg-config-static)

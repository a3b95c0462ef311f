# A private copy of liblinear (Debian's liblinear-dev) for the lexical model (lib/src/model).
#
# liblinear's solvers shuffle with the C library's global rand(). Threads training classes at
# once would share one sequence, so the same articles could give different models, and training
# would move the host program's rand() sequence. So the objects of liblinear.a are linked into
# helpmark with rand() renamed to helpmark_liblinear_rand() (a per-thread generator seeded per
# class: model/training.cpp) and every symbol liblinear defines prefixed with helpmark_liblinear_
# (no clash with a program that links liblinear itself). Done when configuring, from the
# installed package: nothing is downloaded.
#
# Defines HELPMARK_LIBLINEAR_OBJECTS (object files to add to a target) and links BLAS.

find_file(HELPMARK_LIBLINEAR_ARCHIVE NAMES liblinear.a
  PATHS /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE} /usr/lib /usr/local/lib NO_CACHE)
if(NOT HELPMARK_LIBLINEAR_ARCHIVE)
  message(FATAL_ERROR "liblinear.a not found: install liblinear-dev (bash .ci/install-deps)")
endif()
find_path(HELPMARK_LIBLINEAR_INCLUDE_DIR linear.h REQUIRED)
find_library(HELPMARK_BLAS_LIBRARY NAMES blas REQUIRED)

set(_dir ${CMAKE_CURRENT_BINARY_DIR}/private-liblinear)
file(REMOVE_RECURSE ${_dir})
file(MAKE_DIRECTORY ${_dir})
execute_process(COMMAND ${CMAKE_NM} -g --defined-only ${HELPMARK_LIBLINEAR_ARCHIVE}
                OUTPUT_VARIABLE _symbols RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${HELPMARK_LIBLINEAR_ARCHIVE}")
endif()
string(REPLACE "\n" ";" _lines "${_symbols}")
set(_map "rand helpmark_liblinear_rand\n")
foreach(_line IN LISTS _lines)
  if(_line MATCHES "^[0-9a-fA-F]+ [TDBRVW] (.+)$")
    set(_name ${CMAKE_MATCH_1})
    if(NOT _name MATCHES "^DW\\.ref\\.")  # the shared personality routine reference
      string(APPEND _map "${_name} helpmark_liblinear_${_name}\n")
    endif()
  endif()
endforeach()
file(WRITE ${_dir}/symbols.map "${_map}")
execute_process(COMMAND ${CMAKE_OBJCOPY} --redefine-syms=${_dir}/symbols.map
                        ${HELPMARK_LIBLINEAR_ARCHIVE} ${_dir}/liblinear-private.a RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "objcopy could not make the private copy of liblinear")
endif()
execute_process(COMMAND ${CMAKE_AR} t liblinear-private.a WORKING_DIRECTORY ${_dir}
                OUTPUT_VARIABLE _members OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${CMAKE_AR} x liblinear-private.a WORKING_DIRECTORY ${_dir} RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "ar could not unpack the private copy of liblinear")
endif()
string(REPLACE "\n" ";" _members "${_members}")
set(HELPMARK_LIBLINEAR_OBJECTS "")
foreach(_member IN LISTS _members)
  list(APPEND HELPMARK_LIBLINEAR_OBJECTS ${_dir}/${_member})
endforeach()
set_source_files_properties(${HELPMARK_LIBLINEAR_OBJECTS} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)

# `cmake --install` into a temporary prefix puts the completions and man pages where shells and
# man look for them, the same files the build wrote. Variables: BUILD_DIR WORK_DIR HELP_DIR MANDIR DATADIR
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc}):\n${out}\n${err}")
endif()
foreach(pair "${DATADIR}/bash-completion/completions/helpmark|completions/helpmark.bash"
             "${DATADIR}/zsh/site-functions/_helpmark|completions/_helpmark"
             "${DATADIR}/fish/vendor_completions.d/helpmark.fish|completions/helpmark.fish"
             "${MANDIR}/man1/helpmark.1|man1/helpmark.1"
             "${MANDIR}/man1/helpmark-search.1|man1/helpmark-search.1"
             "${MANDIR}/man1/helpmark-track.1|man1/helpmark-track.1")
  string(REPLACE "|" ";" pair "${pair}")
  list(GET pair 0 installed)
  list(GET pair 1 built)
  if(NOT EXISTS ${WORK_DIR}/${installed})
    message(FATAL_ERROR "cmake --install did not install ${installed}")
  endif()
  file(READ ${WORK_DIR}/${installed} installed_text)
  file(READ ${HELP_DIR}/${built} built_text)
  if(NOT installed_text STREQUAL built_text)
    message(FATAL_ERROR "the installed ${installed} is not the built ${built}")
  endif()
  message("ok: ${installed}")
endforeach()
file(GLOB built_pages ${HELP_DIR}/man1/*.1)
file(GLOB installed_pages ${WORK_DIR}/${MANDIR}/man1/*.1)
list(LENGTH built_pages built_count)
list(LENGTH installed_pages installed_count)
if(NOT built_count EQUAL installed_count)
  message(FATAL_ERROR "${installed_count} man pages installed, ${built_count} built")
endif()
message("ok: ${installed_count} man pages")

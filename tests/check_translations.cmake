# ctest: every string the UI passes through tr() has a Chinese translation in the committed
# catalogue. Runs lupdate over the sources into a copy of the .ts: a string missing from the
# catalogue (or added since) comes back there as "unfinished".
#   -DTS=<committed .ts> -DIN=<lupdate project .cmake> -DGEN=<GenerateLUpdateProject.cmake>
#   -DLUPDATE=<lupdate> -DWORK=<scratch dir>
file(MAKE_DIRECTORY "${WORK}")
file(COPY_FILE "${TS}" "${WORK}/check.ts")
execute_process(COMMAND "${CMAKE_COMMAND}" "-DIN_FILE=${IN}" "-DOUT_FILE=${WORK}/project.json" -P "${GEN}"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "could not generate the lupdate project from ${IN}")
endif()
execute_process(COMMAND "${LUPDATE}" -project "${WORK}/project.json" -ts "${WORK}/check.ts" -no-obsolete
                        -locations none
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "lupdate failed: ${out}${err}")
endif()
file(STRINGS "${WORK}/check.ts" lines)
set(missing "")
set(source "")
foreach(line IN LISTS lines)
    if(line MATCHES "<source>(.*)</source>")
        set(source "${CMAKE_MATCH_1}")
    elseif(line MATCHES "type=\"unfinished\"")
        string(APPEND missing "\n  ${source}")
    endif()
endforeach()
if(missing)
    message(FATAL_ERROR "${TS}: UI strings without a translation (run the update_translations target, "
                        "then translate them):${missing}")
endif()
message(STATUS "every UI string has a translation")

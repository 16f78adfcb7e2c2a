VAR progress = 0
VAR traps = 0
VAR alarm = false

-> scene_0

=== scene_0 ===
第 0 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 0 步]
    ~ progress = progress + 1
    -> scene_1
+ {not trapped_0} [冒进：第 0 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_0

= trapped_0
这是一个历史误区：讲解之后，回到原处。
-> scene_0

=== scene_1 ===
第 1 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 1 步]
    ~ progress = progress + 1
    -> scene_2
+ {not trapped_1} [冒进：第 1 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_1

= trapped_1
这是一个历史误区：讲解之后，回到原处。
-> scene_1

=== scene_2 ===
第 2 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 2 步]
    ~ progress = progress + 1
    -> scene_3
+ {not trapped_2} [冒进：第 2 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_2

= trapped_2
这是一个历史误区：讲解之后，回到原处。
-> scene_2

=== scene_3 ===
第 3 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 3 步]
    ~ progress = progress + 1
    -> scene_4
+ {not trapped_3} [冒进：第 3 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_3

= trapped_3
这是一个历史误区：讲解之后，回到原处。
-> scene_3

=== scene_4 ===
第 4 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 4 步]
    ~ progress = progress + 1
    -> scene_5
+ {not trapped_4} [冒进：第 4 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_4

= trapped_4
这是一个历史误区：讲解之后，回到原处。
-> scene_4

=== scene_5 ===
第 5 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 5 步]
    ~ progress = progress + 1
    -> scene_6
+ {not trapped_5} [冒进：第 5 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_5

= trapped_5
这是一个历史误区：讲解之后，回到原处。
-> scene_5

=== scene_6 ===
第 6 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 6 步]
    ~ progress = progress + 1
    -> scene_7
+ {not trapped_6} [冒进：第 6 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_6
+ {alarm} [先消除隐患]
    ~ alarm = false
    -> scene_7

= trapped_6
这是一个历史误区：讲解之后，回到原处。
-> scene_6

=== scene_7 ===
第 7 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 7 步]
    ~ progress = progress + 1
    -> scene_8
+ {not trapped_7} [冒进：第 7 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_7
+ {alarm} [先消除隐患]
    ~ alarm = false
    -> scene_8

= trapped_7
这是一个历史误区：讲解之后，回到原处。
-> scene_7

=== scene_8 ===
第 8 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 8 步]
    ~ progress = progress + 1
    -> scene_9
+ {not trapped_8} [冒进：第 8 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_8
+ {alarm} [先消除隐患]
    ~ alarm = false
    -> scene_9

= trapped_8
这是一个历史误区：讲解之后，回到原处。
-> scene_8

=== scene_9 ===
第 9 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 9 步]
    ~ progress = progress + 1
    -> scene_10
+ {not trapped_9} [冒进：第 9 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_9
+ {alarm} [先消除隐患]
    ~ alarm = false
    -> scene_10

= trapped_9
这是一个历史误区：讲解之后，回到原处。
-> scene_9

=== scene_10 ===
第 10 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 10 步]
    ~ progress = progress + 1
    -> scene_11
+ {not trapped_10} [冒进：第 10 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_10
+ {alarm} [先消除隐患]
    ~ alarm = false
    -> scene_11

= trapped_10
这是一个历史误区：讲解之后，回到原处。
-> scene_10

=== scene_11 ===
第 11 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 11 步]
    ~ progress = progress + 1
    -> scene_12
+ {not trapped_11} [冒进：第 11 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_11
+ {alarm} [先消除隐患]
    ~ alarm = false
    -> scene_12

= trapped_11
这是一个历史误区：讲解之后，回到原处。
-> scene_11

=== scene_12 ===
第 12 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 12 步]
    ~ progress = progress + 1
    -> scene_13
+ {not trapped_12} [冒进：第 12 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_12
+ {alarm} [先消除隐患]
    ~ alarm = false
    -> scene_13

= trapped_12
这是一个历史误区：讲解之后，回到原处。
-> scene_12

=== scene_13 ===
第 13 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 13 步]
    ~ progress = progress + 1
    -> scene_14
+ {not trapped_13} [冒进：第 13 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_13
+ {alarm} [先消除隐患]
    ~ alarm = false
    -> scene_14

= trapped_13
这是一个历史误区：讲解之后，回到原处。
-> scene_13

=== scene_14 ===
第 14 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 14 步]
    ~ progress = progress + 1
    -> scene_15
+ {not trapped_14} [冒进：第 14 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_14
+ {alarm} [先消除隐患]
    ~ alarm = false
    -> scene_15

= trapped_14
这是一个历史误区：讲解之后，回到原处。
-> scene_14

=== scene_15 ===
第 15 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 15 步]
    ~ progress = progress + 1
    -> scene_16
+ {not trapped_15} [冒进：第 15 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_15
+ {alarm} [先消除隐患]
    ~ alarm = false
    -> scene_16

= trapped_15
这是一个历史误区：讲解之后，回到原处。
-> scene_15

=== scene_16 ===
第 16 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 16 步]
    ~ progress = progress + 1
    -> scene_17
+ {not trapped_16} [冒进：第 16 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_16
+ {alarm} [先消除隐患]
    ~ alarm = false
    -> scene_17

= trapped_16
这是一个历史误区：讲解之后，回到原处。
-> scene_16

=== scene_17 ===
第 17 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 17 步]
    ~ progress = progress + 1
    -> scene_18
+ {not trapped_17} [冒进：第 17 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_17
+ {alarm} [先消除隐患]
    ~ alarm = false
    -> scene_18

= trapped_17
这是一个历史误区：讲解之后，回到原处。
-> scene_17

=== scene_18 ===
第 18 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 18 步]
    ~ progress = progress + 1
    -> scene_19
+ {not trapped_18} [冒进：第 18 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_18
+ {alarm} [先消除隐患]
    ~ alarm = false
    -> scene_19

= trapped_18
这是一个历史误区：讲解之后，回到原处。
-> scene_18

=== scene_19 ===
第 19 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 19 步]
    ~ progress = progress + 1
    -> scene_20
+ {not trapped_19} [冒进：第 19 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_19
+ {alarm} [先消除隐患]
    ~ alarm = false
    -> scene_20

= trapped_19
这是一个历史误区：讲解之后，回到原处。
-> scene_19

=== scene_20 ===
第 20 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 20 步]
    ~ progress = progress + 1
    -> scene_21
+ {not trapped_20} [冒进：第 20 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_20
+ {alarm} [先消除隐患]
    ~ alarm = false
    -> scene_21

= trapped_20
这是一个历史误区：讲解之后，回到原处。
-> scene_20

=== scene_21 ===
第 21 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 21 步]
    ~ progress = progress + 1
    -> scene_22
+ {not trapped_21} [冒进：第 21 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_21
+ {alarm} [先消除隐患]
    ~ alarm = false
    -> scene_22

= trapped_21
这是一个历史误区：讲解之后，回到原处。
-> scene_21

=== scene_22 ===
第 22 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 22 步]
    ~ progress = progress + 1
    -> scene_23
+ {not trapped_22} [冒进：第 22 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_22
+ {alarm} [先消除隐患]
    ~ alarm = false
    -> scene_23

= trapped_22
这是一个历史误区：讲解之后，回到原处。
-> scene_22

=== scene_23 ===
第 23 幕：筹备工作继续进行。进度 {progress}。
+ [稳妥地推进第 23 步]
    ~ progress = progress + 1
    -> finale
+ {not trapped_23} [冒进：第 23 步走捷径]
    ~ traps = traps + 1
    ~ alarm = true
    -> trapped_23
+ {alarm} [先消除隐患]
    ~ alarm = false
    -> finale

= trapped_23
这是一个历史误区：讲解之后，回到原处。
-> scene_23

=== finale ===
大会开幕。进度 {progress}，误区 {traps}。
-> END

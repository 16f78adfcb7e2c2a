"""A commented starting scenario for ``play.py new NAME``: valid, verified, ready to edit.

scaffold_text(scenario_id, title, schema_path) -> str
"""

from __future__ import annotations

TEMPLATE = """\
# yaml-language-server: $schema=__SCHEMA__
# 新场景：__TITLE__
# 由 `python play.py new` 生成。这是一个能玩、能通过检查的小例子：三个角色合作送出一封密信。
# 把文字换成你的历史故事，每改一步就运行：
#   python play.py validate 本文件     （格式和引用是否正确）
#   python play.py verify 本文件       （任何玩法下团队会不会卡住）
#   python play.py text --scenario 本文件 --players 甲,乙,丙   （自己玩一遍）
# 写法说明见 docs/authoring.md。以 # 开头的行是注释，可以删掉。

scenario:
  id: __ID__                 # 英文字母开头，只用字母、数字、_ 或 -
  title: __TITLE__
  version: 1
  language: zh-Hans
  summary: >-
    一句话介绍场景：时间、地点、团队要完成的事。
  expected_minutes: 10
  sources:
    - 写明史实出处，例如《中国共产党历史》第一卷

# 角色：每位玩家扮演一个（人少时一人可兼几个）。brief 写清这个人知道什么、想要什么——
# 陷阱需要的知识要写在这里或剧情里，玩家才有机会答对。
roles:
  - id: writer
    name: 执笔人
    title: 负责写信
    brief: >-
      你要给外地的同志写一封密信。你知道：信里只写暗语，不写真名和地址。
  - id: courier
    name: 交通员
    title: 负责送信
    brief: >-
      你负责把信送到接头地点。你知道：送信要走人多的大路，混在人群里最不显眼。
  - id: contact
    name: 接头人
    title: 负责接信
    brief: >-
      你在茶馆等信。你知道：接头要先对暗号，对上了才能接信。

# 标记：全队共享的变量（bool 或 int），选择可以改变它们，条件可以读取它们。
flags:
  - id: exposed
    type: bool
    initial: false
    description: 行踪是否暴露

tasks:
  # ---- 执笔人 ----
  - id: write_letter
    role: writer
    title: 写密信
    goal: 写一封即使被截获也看不懂的信
    nodes:
      - id: start
        text: 你铺开信纸。信里怎么写？
        hint: 回想角色简介里关于暗语的那句话。
        choices:
          - text: 只写暗语
            points: 5
            complete: done              # 完成任务，结果 id 为 done
          - text: 写上真名和地址，免得对方看不懂
            trap:                       # 陷阱：一个诱人的历史误区
              id: real_names
              title: 信里写真名
              explanation: >-
                在这里用两三句话讲清真实的历史：为什么秘密通信不写真名和地址。
              source: 写明出处
              penalty: 5                # 扣分
              step_back: start          # 回到本任务的某个节点重新选择

  # ---- 交通员 ----
  - id: deliver
    role: courier
    title: 送信
    requires: { task_done: write_letter }   # 依赖：执笔人写完信才能开始
    nodes:
      - id: start
        text: 信到手了。走哪条路去茶馆？
        choices:
          - text: 走人多的大路，混在人群里
            goto: arrive               # 跳到本任务的另一个节点
          - text: 抄僻静的小路，快一点
            trap:
              id: quiet_lane
              title: 走僻静小路
              explanation: >-
                讲清为什么僻静小路反而显眼。
              source: 写明出处
              lockout_seconds: 20       # 这个角色被锁定 20 秒
              set: { exposed: true }    # 团队后果：改变标记
              open_tasks: [shake_off]   # 团队后果：打开补救任务
            goto: arrive
      - id: arrive
        text: 茶馆就在眼前。
        choices:
          - text: 进门找接头人
            complete: done
  - id: shake_off
    role: courier
    title: 补救：甩掉尾巴
    remedial: true                     # 补救任务：只有被陷阱或事件打开才会出现
    nodes:
      - id: start
        text: 好像有人跟着你。
        choices:
          - text: 绕进人多的集市，再从后门离开
            set: { exposed: false }
            complete: done

  # ---- 接头人 ----
  - id: receive
    role: contact
    title: 接信
    requires:
      all:                             # 多个条件同时成立
        - { task_done: deliver }
        - any:                         # 其中之一成立即可
            - { flag: exposed, eq: false }
            - { task_done: shake_off }
    nodes:
      - id: start
        text: 一个陌生人坐到你对面。你怎么做？
        choices:
          - text: 先对暗号
            points: 5
            complete: done
          - text: 直接伸手要信
            trap:
              id: no_password
              title: 不对暗号
              explanation: >-
                讲清为什么接头必须先对暗号。
              source: 写明出处
              penalty: 5
            complete: careless

# 团队事件：条件第一次成立时，全队都会看到。
events:
  - id: letter_arrives
    title: 信已送达
    text: 密信安全送到了接头人手中。
    when: { task_done: receive }

# 结局：每一步之后按顺序检查，第一个条件成立的结局结束游戏。
endings:
  - id: flawless
    title: 滴水不漏
    text: 一个错误都没有，密信安全送达。
    when:
      all:
        - { event: letter_arrives }
        - { traps_sprung: { eq: 0 } }
    bonus: 20
  - id: delivered
    title: 有惊无险
    text: 虽然出了些差错，信还是送到了。看看陷阱里的历史吧。
    when: { event: letter_arrives }

scoring:
  start: 0
  task_points: 10                      # 每完成一个任务得分
"""


def scaffold_text(scenario_id: str, title: str, schema_path: str) -> str:
    return (
        TEMPLATE.replace("__ID__", scenario_id).replace("__TITLE__", title).replace("__SCHEMA__", schema_path)
    )

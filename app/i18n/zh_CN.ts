<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ApiKeyModel</name>
    <message>
        <source>The API key is empty: paste the whole key and try again.</source>
        <translation>API 密钥为空：请粘贴完整的密钥后重试。</translation>
    </message>
    <message>
        <source>This computer has no system keyring to keep the API key in: set the OPENAI_API_KEY environment variable instead.</source>
        <translation>这台电脑没有可保存 API 密钥的系统钥匙串：请改为设置环境变量 OPENAI_API_KEY。</translation>
    </message>
    <message>
        <source>The system keyring refused the change (is it locked?): unlock it and try again.</source>
        <translation>系统钥匙串拒绝了此更改（是否已锁定？）：请解锁后重试。</translation>
    </message>
    <message>
        <source>The system keyring could not be used: try again.</source>
        <translation>无法使用系统钥匙串：请重试。</translation>
    </message>
</context>
<context>
    <name>ConnectionTester</name>
    <message>
        <source>The test could not be run: try again.</source>
        <translation>无法进行测试：请重试。</translation>
    </message>
    <message numerus="yes">
        <source>Connected: the service offers %n model(s).</source>
        <translation>
            <numerusform>连接成功：该服务提供 %n 个模型。</numerusform>
        </translation>
    </message>
    <message>
        <source>The service refused the API key (HTTP {0}): check the key below.</source>
        <translation>服务拒绝了 API 密钥（HTTP {0}）：请检查下方的密钥。</translation>
    </message>
    <message>
        <source>The service answered, but has no /models there (HTTP 404): check that the base URL ends in /v1.</source>
        <translation>服务有响应，但找不到 /models（HTTP 404）：请确认基础 URL 以 /v1 结尾。</translation>
    </message>
    <message>
        <source>The service answered with an error (HTTP {0}): try again later.</source>
        <translation>服务返回了错误（HTTP {0}）：请稍后重试。</translation>
    </message>
    <message>
        <source>The service did not answer in time: check the address and network.</source>
        <translation>服务未及时响应：请检查地址和网络。</translation>
    </message>
    <message>
        <source>The service could not be reached: check the base URL and your network.</source>
        <translation>无法连接到服务：请检查基础 URL 和网络。</translation>
    </message>
    <message>
        <source>Something answered, but not like an OpenAI-compatible service: check the base URL.</source>
        <translation>有响应，但不像兼容 OpenAI 的服务：请检查基础 URL。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>Embedded engine: local layout drafts, no cost</source>
        <translation>内置引擎：本地排版草稿，不产生费用</translation>
    </message>
    <message>
        <source>OpenAI</source>
        <translation>OpenAI</translation>
    </message>
    <message>
        <source>Custom OpenAI-compatible service</source>
        <translation>自定义的 OpenAI 兼容服务</translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation>基础 URL：</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Key:</source>
        <translation>密钥：</translation>
    </message>
    <message>
        <source>Store key</source>
        <translation>保存密钥</translation>
    </message>
    <message>
        <source>Remove key</source>
        <translation>移除密钥</translation>
    </message>
    <message>
        <source>Paste a new key</source>
        <translation>粘贴新的密钥</translation>
    </message>
    <message>
        <source>It is kept in the system keyring, never in a file.</source>
        <translation>密钥保存在系统钥匙串中，不会写入任何文件。</translation>
    </message>
    <message>
        <source>New key:</source>
        <translation>新密钥：</translation>
    </message>
    <message>
        <source>Generation</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Default model:</source>
        <translation>默认模型：</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Timeout:</source>
        <translation>超时：</translation>
    </message>
    <message>
        <source>Retries:</source>
        <translation>重试次数：</translation>
    </message>
    <message>
        <source>Jobs at once:</source>
        <translation>同时运行的任务数：</translation>
    </message>
    <message>
        <source>No cap</source>
        <translation>不设上限</translation>
    </message>
    <message>
        <source>The most one generation may cost, in US dollars.</source>
        <translation>单次生成最多可花费的金额（美元）。</translation>
    </message>
    <message>
        <source>Spending cap (US$ per generation):</source>
        <translation>花费上限（每次生成，美元）：</translation>
    </message>
    <message>
        <source>Read the text back after each image is made</source>
        <translation>每张图片生成后回读检查文字</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>A new language is used the next time Zi Studio starts.</source>
        <translation>新语言将在下次启动 Zi Studio 时生效。</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Theme:</source>
        <translation>主题：</translation>
    </message>
    <message>
        <source>Enter an amount in US dollars, like 0.50, or leave it empty for no cap.</source>
        <translation>请输入美元金额，例如 0.50；留空表示不设上限。</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>Stored in the system keyring (never shown).</source>
        <translation>已保存在系统钥匙串中（不会显示）。</translation>
    </message>
    <message>
        <source>From the OPENAI_API_KEY environment variable; it is used before a stored key.</source>
        <translation>来自环境变量 OPENAI_API_KEY，优先于已保存的密钥。</translation>
    </message>
    <message>
        <source>None: without a key, the embedded engine makes local drafts.</source>
        <translation>无：没有密钥时，由内置引擎生成本地草稿。</translation>
    </message>
    <message>
        <source>Looking in the system keyring…</source>
        <translation>正在查看系统钥匙串…</translation>
    </message>
</context>
<context>
    <name>SettingsModel</name>
    <message>
        <source>The settings could not be saved ({0}). They stay in use until Zi Studio closes: free some disk space, then change a setting to save again.</source>
        <translation>无法保存设置（{0}）。在关闭 Zi Studio 之前，这些设置仍然有效：请释放一些磁盘空间，然后修改任一设置以再次保存。</translation>
    </message>
</context>
<context>
    <name>SettingsProblem</name>
    <message>
        <source>This value is not allowed.</source>
        <translation>不允许此值。</translation>
    </message>
    <message>
        <source>Choose one of: {0}.</source>
        <translation>请从以下选项中选择：{0}。</translation>
    </message>
    <message>
        <source>Enter at least {0}.</source>
        <translation>请输入不小于 {0} 的值。</translation>
    </message>
    <message>
        <source>Enter at most {0}.</source>
        <translation>请输入不大于 {0} 的值。</translation>
    </message>
    <message>
        <source>This cannot be empty.</source>
        <translation>此项不能为空。</translation>
    </message>
    <message>
        <source>Enter a base URL like https://host/v1.</source>
        <translation>请输入类似 https://host/v1 的基础 URL。</translation>
    </message>
    <message>
        <source>Leave the user name and password out of the URL: enter the API key below instead.</source>
        <translation>请不要在 URL 中包含用户名和密码：请在下方填写 API 密钥。</translation>
    </message>
    <message>
        <source>A service on another computer needs https://, so the API key is not sent openly.</source>
        <translation>其他电脑上的服务必须使用 https://，以免 API 密钥以明文发送。</translation>
    </message>
    <message>
        <source>Enter the base URL of the custom service.</source>
        <translation>请输入自定义服务的基础 URL。</translation>
    </message>
</context>
</TS>
